//! What both storage libraries share at the C boundary: arguments as NUL-terminated UTF-8 (what
//! titan-server 7.0.1's bridge and the koffi adapter pass), the two ways of returning a string,
//! the `session_set` JSON of @titanpl/core 3.0.7, and a guard so no panic crosses the boundary.

use std::cell::RefCell;
use std::ffi::{CStr, CString};
use std::os::raw::c_char;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// A C string argument as Rust text; NULL reads as "", invalid UTF-8 as U+FFFD.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string that stays valid during the call.
pub unsafe fn arg(p: *const c_char) -> String {
    if p.is_null() {
        return String::new();
    }
    CStr::from_ptr(p).to_string_lossy().into_owned()
}

/// Runs `f`; a panic becomes `fallback` instead of unwinding into C (undefined behaviour there).
pub fn guard<T>(fallback: T, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(fallback)
}

/// A string the caller owns: allocated with the system malloc (Rust's default allocator here),
/// to be released with libc `free`. The 7.0.1 bridge never frees it (a leak per call).
pub fn malloc_string(s: &str) -> *mut c_char {
    // Arguments arrive as C strings, so stored text holds no NUL; cut at one all the same.
    let bytes = s.as_bytes();
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    CString::new(&bytes[..end]).map(CString::into_raw).unwrap_or(std::ptr::null_mut())
}

thread_local! {
    static RESULT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// A string the library owns: a pointer into this thread's result buffer, valid until the next
/// call on the same thread that returns a string. Callers copy it at once (the bridge does) and
/// never free it; memory stays at the largest result per thread. `None` is NULL.
pub fn thread_string(s: Option<&str>) -> *const c_char {
    let Some(s) = s else { return std::ptr::null() };
    RESULT.with(|buf| {
        let mut buf = buf.borrow_mut();
        buf.clear();
        let bytes = s.as_bytes();
        let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
        buf.extend_from_slice(&bytes[..end]);
        buf.push(0);
        buf.as_ptr() as *const c_char
    })
}

/// `session_set`'s second argument in @titanpl/core 3.0.7's ABI: `{"key": …, "value": …}`, both
/// strings (the bridge passes at most two arguments, so key and value travel together).
/// Anything else is `None`: the call stores nothing.
pub fn session_entry(json: &str) -> Option<(String, String)> {
    let v: serde_json::Value = serde_json::from_str(json).ok()?;
    Some((v.get("key")?.as_str()?.to_owned(), v.get("value")?.as_str()?.to_owned()))
}

/// The `ls_keys` result of 3.0.7: a JSON array of strings.
pub fn keys_json<'a>(keys: impl Iterator<Item = &'a String>) -> String {
    serde_json::to_string(&keys.collect::<Vec<_>>()).unwrap_or_else(|_| "[]".to_owned())
}
