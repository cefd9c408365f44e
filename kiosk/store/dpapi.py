"""Windows DPAPI (``CryptProtectData``/``CryptUnprotectData``) in machine scope, via ctypes.

Only ``protect``/``unprotect`` touch Windows; the flag and entropy choices are plain
values so they are visible (and tested) everywhere. Machine scope means any account
on this kiosk can unwrap the key (the kiosk runs as a service account or a locked-down
user), while a copy of the key file on another machine is useless.
"""

from __future__ import annotations

import ctypes
import sys

CRYPTPROTECT_UI_FORBIDDEN = 0x01
CRYPTPROTECT_LOCAL_MACHINE = 0x04
FLAGS = CRYPTPROTECT_UI_FORBIDDEN | CRYPTPROTECT_LOCAL_MACHINE
# Extra entropy binds the blob to this application: other DPAPI users on the machine
# cannot unwrap it by accident with a bare CryptUnprotectData call.
ENTROPY = b"FaceKiosk database key v1"
DESCRIPTION = "FaceKiosk database key"


def _require_windows() -> None:
    if sys.platform != "win32":
        raise OSError("DPAPI is only available on Windows")


def _blob_type() -> type[ctypes.Structure]:
    from ctypes import wintypes

    class DATA_BLOB(ctypes.Structure):
        _fields_ = [("cbData", wintypes.DWORD), ("pbData", ctypes.POINTER(ctypes.c_char))]

    return DATA_BLOB


def _call(name: str, data: bytes) -> bytes:
    _require_windows()
    blob_type = _blob_type()
    crypt32 = ctypes.windll.crypt32  # type: ignore[attr-defined]
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    data_in = blob_type(len(data), ctypes.cast(ctypes.create_string_buffer(data, len(data)), ctypes.POINTER(ctypes.c_char)))
    entropy = blob_type(len(ENTROPY), ctypes.cast(ctypes.create_string_buffer(ENTROPY, len(ENTROPY)), ctypes.POINTER(ctypes.c_char)))
    data_out = blob_type()
    if name == "protect":
        ok = crypt32.CryptProtectData(ctypes.byref(data_in), DESCRIPTION, ctypes.byref(entropy), None, None, FLAGS, ctypes.byref(data_out))
    else:
        ok = crypt32.CryptUnprotectData(ctypes.byref(data_in), None, ctypes.byref(entropy), None, None, FLAGS, ctypes.byref(data_out))
    if not ok:
        raise ctypes.WinError()  # type: ignore[attr-defined]
    try:
        return ctypes.string_at(data_out.pbData, data_out.cbData)
    finally:
        kernel32.LocalFree(data_out.pbData)


def protect(data: bytes) -> bytes:
    return _call("protect", data)


def unprotect(blob: bytes) -> bytes:
    return _call("unprotect", blob)
