// Crash points: named places in multi-step commits (lake commit, view publish, retention) where
// a test can make the process die by SIGKILL, to prove that a kill at that step leaves the old
// state or the new one, never a mix.
//
// Armed only by the environment: LAMINAR_CRASH_AT="<name>" kills at the first pass through
// <name>, "<name>:<n>" at the n-th. Unset (always, outside tests), a crash point costs one
// relaxed atomic load. The names are listed in docs/testing.md.
//
// Thread safety: thread-safe.
#pragma once

namespace laminar {

void CrashPoint(const char* name);

}  // namespace laminar
