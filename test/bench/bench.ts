/** Placeholder until the benchmark lands: says so instead of pretending to measure. */
process.stdout.write('The Netra benchmark is not implemented yet; nothing was measured.\n');
