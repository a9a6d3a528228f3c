/**
 * Whether a process still runs, for the files a service leaves in its data folder (a service
 * killed with SIGKILL cannot remove them) and for the launcher watch.
 */

/**
 * True when `pid` names a running process (EPERM: it runs under another user).
 * @example if (!processIsAlive(service.pid)) await removeServiceFile(dataDir);
 */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
