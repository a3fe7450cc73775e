export { GatewayAppModule } from './app.module';
