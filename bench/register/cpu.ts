/**
 * CPU spent per request, by whom: the app's event loop (the main thread, which serves HTTP or,
 * for the floor, runs the query functions) and PostgreSQL's server processes. Unlike latency,
 * these barely move when other work shares the machine, so they say what a page costs.
 */
import fs from 'node:fs';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU milliseconds of every process whose parent is `postmasterPid` (the server's backends), by pid. */
function backendCpu(postmasterPid: number): Map<number, number> {
  const cpu = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone, or not ours to read
    }
    // Fields after the command name (which may hold spaces) start at state: ppid is the 2nd, utime the 12th, stime the 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[1]) !== postmasterPid) continue;
    cpu.set(Number(entry), ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1000);
  }
  return cpu;
}

export interface CpuMark {
  elu: EventLoopUtilization;
  backends: Map<number, number> | null;
}

export interface CpuSpent {
  /** Busy time of this process's main thread (the app's event loop), ms. */
  app: number;
  /** CPU of PostgreSQL's processes, ms; null when the server is not on this machine. */
  postgres: number | null;
}

export function cpuMark(postmasterPid: number | null): CpuMark {
  return { elu: performance.eventLoopUtilization(), backends: postmasterPid ? backendCpu(postmasterPid) : null };
}

export function cpuSince(mark: CpuMark, postmasterPid: number | null): CpuSpent {
  const elu = performance.eventLoopUtilization(mark.elu);
  let postgres: number | null = null;
  if (postmasterPid && mark.backends) {
    postgres = 0;
    for (const [pid, ms] of backendCpu(postmasterPid)) postgres += ms - (mark.backends.get(pid) ?? 0);
  }
  return { app: elu.active, postgres };
}

/** The postmaster's pid, from its data directory. */
export function postmasterPid(dataDir: string): number | null {
  try {
    return Number(fs.readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]) || null;
  } catch {
    return null;
  }
}
