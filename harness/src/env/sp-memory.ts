/** A reading of the memory of the process an SP runs in. */
export interface MemoryReading {
  /** Resident set size now, in bytes. */
  rssBytes: number;
  /** The process's peak resident set size so far, in bytes. */
  peakRssBytes: number;
  /**
   * What JavaScript holds now, live or not yet collected: its heap and the memory outside it its
   * objects own (Buffers). Memory the process had freed and takes again shows here, not in RSS.
   */
  allocatedBytes: number;
}

/** Where an SP's memory can be read: the process it runs in. */
export interface SpMemory {
  /** Which process, for the evidence. */
  description: string;
  read(): MemoryReading;
}

/** The process of the embedded reference SP: the harness's own (or its worker's). */
export const IN_PROCESS_MEMORY: SpMemory = {
  description:
    'the process the embedded SP runs in, shared with the harness and the mock IdP (other runs at the same time in it add to it)',
  read: () => {
    const m = process.memoryUsage();
    return {
      rssBytes: m.rss,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      allocatedBytes: m.heapUsed + m.external,
    };
  },
};
