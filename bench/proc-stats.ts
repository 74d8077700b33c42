/** What the benchmark tools read of a server process from /proc (Linux). */
import { readFileSync } from 'node:fs';

/** utime + stime of one thread, in ms (the main thread's id is the process id); 0 once it is gone. */
export function threadCpuMs(pid: number, tid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

export const mainThreadCpuMs = (pid: number): number => threadCpuMs(pid, pid);

export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}
