import { runPipelineProcess } from './pipeline-process';
import { SameWorkPipeline, SameWorkSettings } from './same-work-pipeline';

runPipelineProcess<SameWorkSettings>(
  'same-work',
  'BENCH_SAME_WORK_SETTINGS',
  (settings) => new SameWorkPipeline(settings),
);
