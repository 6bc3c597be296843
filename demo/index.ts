/** What `siyu demo` loads when it runs (src/cli/commands/demo.command.ts imports this lazily, DESIGN §2, §8.4). */
export { DemoError } from './demo-errors';
export { runDemo, type DemoRun } from './demo.runner';
export { formatSummary } from './summary-printer';
