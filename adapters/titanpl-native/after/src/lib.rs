//! The change note's "after", with every defect of the TitanPL reports that a library can fix
//! fixed: in-memory `RwLock<HashMap>` maps (`OnceLock`, no file I/O), readers in parallel.
//! - Sessions are a map of maps, keyed by (id, key): no `id + ":" + key` collisions (D4), and
//!   `session_clear` drops exactly that session.
//! - A missing key is NULL (D1; the 7.0.1 bridge still turns NULL into "", see
//!   reports/titanpl-after.md).
//! - Results point into a per-thread buffer the library owns (titan_ffi::thread_string): the
//!   bridge copies them and never frees, so nothing is left behind per call (S3). Callers must
//!   not free them.
//! - No panic crosses the C boundary (titan_ffi::guard); a poisoned lock is recovered.
//! The C surface is otherwise @titanpl/core 3.0.7's: `session_set(id, {"key","value"} JSON)`,
//! `ls_keys` a JSON array.

use std::collections::HashMap;
use std::os::raw::c_char;
use std::sync::{OnceLock, RwLock, RwLockReadGuard, RwLockWriteGuard};
use titan_ffi::{arg, guard, keys_json, session_entry, thread_string};

type Map = HashMap<String, String>;

fn local() -> &'static RwLock<Map> {
    static LOCAL: OnceLock<RwLock<Map>> = OnceLock::new();
    LOCAL.get_or_init(Default::default)
}

fn sessions() -> &'static RwLock<HashMap<String, Map>> {
    static SESSIONS: OnceLock<RwLock<HashMap<String, Map>>> = OnceLock::new();
    SESSIONS.get_or_init(Default::default)
}

fn read<T>(l: &'static RwLock<T>) -> RwLockReadGuard<'static, T> {
    l.read().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn write<T>(l: &'static RwLock<T>) -> RwLockWriteGuard<'static, T> {
    l.write().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[no_mangle]
pub unsafe extern "C" fn ls_get(key: *const c_char) -> *const c_char {
    guard(std::ptr::null(), || {
        let key = arg(key);
        thread_string(read(local()).get(&key).map(String::as_str))
    })
}

#[no_mangle]
pub unsafe extern "C" fn ls_set(key: *const c_char, value: *const c_char) {
    guard((), || {
        let (key, value) = (arg(key), arg(value));
        write(local()).insert(key, value);
    })
}

#[no_mangle]
pub unsafe extern "C" fn ls_remove(key: *const c_char) {
    guard((), || {
        let key = arg(key);
        write(local()).remove(&key);
    })
}

#[no_mangle]
pub extern "C" fn ls_clear() {
    guard((), || write(local()).clear())
}

#[no_mangle]
pub extern "C" fn ls_keys() -> *const c_char {
    guard(std::ptr::null(), || {
        let json = keys_json(read(local()).keys());
        thread_string(Some(&json))
    })
}

#[no_mangle]
pub unsafe extern "C" fn session_get(id: *const c_char, key: *const c_char) -> *const c_char {
    guard(std::ptr::null(), || {
        let (id, key) = (arg(id), arg(key));
        thread_string(read(sessions()).get(&id).and_then(|s| s.get(&key)).map(String::as_str))
    })
}

#[no_mangle]
pub unsafe extern "C" fn session_set(id: *const c_char, json: *const c_char) {
    guard((), || {
        let id = arg(id);
        if let Some((key, value)) = session_entry(&arg(json)) {
            write(sessions()).entry(id).or_default().insert(key, value);
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn session_delete(id: *const c_char, key: *const c_char) {
    guard((), || {
        let (id, key) = (arg(id), arg(key));
        let mut all = write(sessions());
        if let Some(s) = all.get_mut(&id) {
            s.remove(&key);
            if s.is_empty() {
                all.remove(&id);
            }
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn session_clear(id: *const c_char) {
    guard((), || {
        let id = arg(id);
        write(sessions()).remove(&id);
    })
}
