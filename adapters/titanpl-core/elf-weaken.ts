/**
 * Mark one symbol-version requirement of an ELF64 shared library as weak (VER_FLG_WEAK).
 *
 * The published libtitan_core.so needs GLIBC_2.39 only for two weak symbols (pidfd_getpid,
 * pidfd_spawnp). On an older glibc, ld.so refuses the whole file because that version is
 * missing. With VER_FLG_WEAK set on the requirement, ld.so accepts it and the two weak
 * symbols resolve to NULL; no code byte changes. This is applied to a copy, never the original.
 *
 * Layout references: the System V gABI (ELF64 header, section headers) and the LSB
 * symbol-versioning spec (Elf64_Verneed, Elf64_Vernaux).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

export const VER_FLG_WEAK = 0x2;
const SHT_GNU_VERNEED = 0x6ffffffe;

/** One version requirement as found in `.gnu.version_r`. */
export interface VersionNeed {
  /** The library it is needed from, e.g. "libc.so.6". */
  file: string;
  /** The version name, e.g. "GLIBC_2.39". */
  name: string;
  flags: number;
  /** File offset of the `vna_flags` field of this Elf64_Vernaux entry. */
  flagsOffset: number;
}

interface Section {
  type: number;
  offset: number;
  size: number;
  link: number;
}

function fail(why: string): never {
  throw new Error(`not a patchable ELF64 file: ${why}`);
}

function sections(elf: Buffer): Section[] {
  if (elf.length < 64 || elf.readUInt32BE(0) !== 0x7f454c46) fail('bad magic');
  if (elf[4] !== 2) fail('not ELFCLASS64');
  if (elf[5] !== 1) fail('not little-endian');
  const shoff = Number(elf.readBigUInt64LE(0x28));
  const shentsize = elf.readUInt16LE(0x3a);
  const shnum = elf.readUInt16LE(0x3c);
  if (shoff === 0 || shnum === 0) fail('no section headers');
  if (shentsize < 64 || shoff + shnum * shentsize > elf.length) fail('section header table out of bounds');
  const out: Section[] = [];
  for (let i = 0; i < shnum; i++) {
    const at = shoff + i * shentsize;
    out.push({
      type: elf.readUInt32LE(at + 4),
      offset: Number(elf.readBigUInt64LE(at + 0x18)),
      size: Number(elf.readBigUInt64LE(at + 0x20)),
      link: elf.readUInt32LE(at + 0x28),
    });
  }
  return out;
}

function cString(buf: Buffer, at: number): string {
  const end = buf.indexOf(0, at);
  if (at >= buf.length || end < 0) fail('string table entry out of bounds');
  return buf.toString('latin1', at, end);
}

const SHT_DYNSYM = 11;
const STT_FUNC = 2;

/** The functions the file exports: defined global or weak FUNC symbols of `.dynsym`, sorted. */
export function exportedFunctions(elf: Buffer): string[] {
  const all = sections(elf);
  const dynsym = all.find((s) => s.type === SHT_DYNSYM);
  if (!dynsym) return [];
  const strtab = all[dynsym.link] ?? fail('.dynsym has no string table');
  const names: string[] = [];
  for (let at = dynsym.offset + 24; at + 24 <= dynsym.offset + dynsym.size; at += 24) {
    const info = elf.readUInt8(at + 4), shndx = elf.readUInt16LE(at + 6);
    const bind = info >> 4;
    if (shndx !== 0 && (info & 0xf) === STT_FUNC && (bind === 1 || bind === 2)) names.push(cString(elf, strtab.offset + elf.readUInt32LE(at)));
  }
  return names.sort();
}

/** Every version requirement of the file (empty when it has no `.gnu.version_r`). */
export function listVersionNeeds(elf: Buffer): VersionNeed[] {
  const all = sections(elf);
  const verneed = all.find((s) => s.type === SHT_GNU_VERNEED);
  if (!verneed) return [];
  const strtab = all[verneed.link] ?? fail('.gnu.version_r links to a missing string table');
  const str = (i: number) => cString(elf, strtab.offset + i);
  const end = verneed.offset + verneed.size;
  const out: VersionNeed[] = [];
  // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32.
  // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
  for (let need = verneed.offset, n = 0; ; n++) {
    if (need + 16 > end || n > 10_000) fail('Elf64_Verneed chain out of bounds');
    const cnt = elf.readUInt16LE(need + 2);
    const file = str(elf.readUInt32LE(need + 4));
    for (let aux = need + elf.readUInt32LE(need + 8), i = 0; i < cnt; i++) {
      if (aux + 16 > end) fail('Elf64_Vernaux chain out of bounds');
      out.push({ file, name: str(elf.readUInt32LE(aux + 8)), flags: elf.readUInt16LE(aux + 4), flagsOffset: aux + 4 });
      aux += elf.readUInt32LE(aux + 12);
    }
    const next = elf.readUInt32LE(need + 12);
    if (next === 0) break;
    need += next;
  }
  return out;
}

/**
 * A copy of `elf` with VER_FLG_WEAK set on every requirement of `version` (e.g. "GLIBC_2.39").
 * `changed` is false when there was nothing to do (no such requirement, or already weak).
 */
export function weakenVersionNeed(elf: Buffer, version: string): { elf: Buffer; changed: boolean } {
  const targets = listVersionNeeds(elf).filter((v) => v.name === version && (v.flags & VER_FLG_WEAK) === 0);
  if (targets.length === 0) return { elf, changed: false };
  const copy = Buffer.from(elf);
  for (const t of targets) copy.writeUInt16LE(t.flags | VER_FLG_WEAK, t.flagsOffset);
  return { elf: copy, changed: true };
}

/** Write a weakened copy of `source` to `target` (atomically: temp file + rename). */
export function writeWeakenedCopy(source: string, target: string, version: string): { changed: boolean } {
  const { elf, changed } = weakenVersionNeed(readFileSync(source), version);
  const tmp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, elf, { mode: 0o755 });
  renameSync(tmp, target);
  return { changed };
}
