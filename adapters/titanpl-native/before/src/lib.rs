//! The change note's "before", built to measure it: two `Mutex<HashMap>` maps (lazy_static), each
//! loaded once from its JSON file in the process's working directory, and every write
//! re-serializing the whole map and truncating and rewriting the file while the lock is held
//! (no fsync). Local storage is pretty-printed to `titan_storage.json`; sessions are one map
//! keyed `id + ":" + key` in `titan_sessions.json`. Reads come from memory.
//!
//! A file that is missing, unreadable or not a JSON object of strings (a torn write) loads as an
//! empty map, silently: the simplest reading of the note, and what `unwrap_or_default` does.
//!
//! The C surface is @titanpl/core 3.0.7's: a missing key reads as "" (never NULL), results are
//! malloc'ed strings the caller frees, `session_set(id, {"key","value"} JSON)`.

use lazy_static::lazy_static;
use std::collections::HashMap;
use std::fs::File;
use std::io::Write;
use std::os::raw::c_char;
use std::sync::{Mutex, MutexGuard};
use titan_ffi::{arg, guard, keys_json, malloc_string, session_entry};

const LOCAL_FILE: &str = "titan_storage.json";
const SESSION_FILE: &str = "titan_sessions.json";

type Map = HashMap<String, String>;

lazy_static! {
    static ref LOCAL: Mutex<Map> = Mutex::new(load(LOCAL_FILE));
    static ref SESSIONS: Mutex<Map> = Mutex::new(load(SESSION_FILE));
}

fn load(path: &str) -> Map {
    std::fs::read_to_string(path).ok().and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default()
}

/// A panic while a lock was held leaves the map usable: the guard recovers it instead of failing every later call.
fn lock(m: &'static Mutex<Map>) -> MutexGuard<'static, Map> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Truncate and rewrite the whole file from the map (called with the lock held). Errors are dropped, as the note's code did.
fn save(path: &str, map: &Map, pretty: bool) {
    let json = if pretty { serde_json::to_string_pretty(map) } else { serde_json::to_string(map) };
    if let Ok(json) = json {
        let _ = File::create(path).and_then(|mut f| f.write_all(json.as_bytes()));
    }
}

fn write_local(f: impl FnOnce(&mut Map)) {
    let mut map = lock(&LOCAL);
    f(&mut map);
    save(LOCAL_FILE, &map, true);
}

fn write_sessions(f: impl FnOnce(&mut Map)) {
    let mut map = lock(&SESSIONS);
    f(&mut map);
    save(SESSION_FILE, &map, false);
}

fn composite(id: &str, key: &str) -> String {
    format!("{id}:{key}")
}

#[no_mangle]
pub unsafe extern "C" fn ls_get(key: *const c_char) -> *mut c_char {
    guard(std::ptr::null_mut(), || {
        let key = arg(key);
        malloc_string(lock(&LOCAL).get(&key).map(String::as_str).unwrap_or(""))
    })
}

#[no_mangle]
pub unsafe extern "C" fn ls_set(key: *const c_char, value: *const c_char) {
    guard((), || {
        let (key, value) = (arg(key), arg(value));
        write_local(|m| {
            m.insert(key, value);
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn ls_remove(key: *const c_char) {
    guard((), || {
        let key = arg(key);
        write_local(|m| {
            m.remove(&key);
        })
    })
}

#[no_mangle]
pub extern "C" fn ls_clear() {
    guard((), || write_local(|m| m.clear()))
}

#[no_mangle]
pub extern "C" fn ls_keys() -> *mut c_char {
    guard(std::ptr::null_mut(), || malloc_string(&keys_json(lock(&LOCAL).keys())))
}

#[no_mangle]
pub unsafe extern "C" fn session_get(id: *const c_char, key: *const c_char) -> *mut c_char {
    guard(std::ptr::null_mut(), || {
        let k = composite(&arg(id), &arg(key));
        malloc_string(lock(&SESSIONS).get(&k).map(String::as_str).unwrap_or(""))
    })
}

#[no_mangle]
pub unsafe extern "C" fn session_set(id: *const c_char, json: *const c_char) {
    guard((), || {
        let id = arg(id);
        if let Some((key, value)) = session_entry(&arg(json)) {
            write_sessions(|m| {
                m.insert(composite(&id, &key), value);
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn session_delete(id: *const c_char, key: *const c_char) {
    guard((), || {
        let k = composite(&arg(id), &arg(key));
        write_sessions(|m| {
            m.remove(&k);
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn session_clear(id: *const c_char) {
    guard((), || {
        let prefix = composite(&arg(id), "");
        write_sessions(|m| m.retain(|k, _| !k.starts_with(&prefix)))
    })
}
