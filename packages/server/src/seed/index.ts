/** The public entry of seed/: what other features and the composition root may use. */
export { seedDemoAr, writeDemoArCsv } from './seed.service';
export { demoHistorySources, parseHistoryLength, seedDemoHistory, simulateDemoHistory, writeDemoHistory } from './demo-history';
export type { DemoHistoryOptions, DemoHistoryStats } from './demo-history';
