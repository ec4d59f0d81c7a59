// Preloaded (node --import) into the profiled B only. `node --cpu-prof` writes its profile on a
// normal exit, but Nest's shutdown hooks end the process by re-raising the signal, which skips
// it. Registered before Nest's listeners, this one runs first and exits normally on SIGTERM.
process.once('SIGTERM', () => process.exit(0));
