/** The public entry of seed/: what other features and the composition root may use. */
export { seedDemoAr, writeDemoArCsv } from './seed.service';
