export { WorkerAppModule } from './app.module';
