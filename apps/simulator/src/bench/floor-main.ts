import { FloorPipeline, FloorSettings } from './floor-pipeline';
import { runPipelineProcess } from './pipeline-process';

runPipelineProcess<FloorSettings>('floor', 'BENCH_FLOOR_SETTINGS', (settings) => new FloorPipeline(settings));
