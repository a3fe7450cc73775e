export { StandaloneAppModule } from './app.module';
