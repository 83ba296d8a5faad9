export * from './app-config';
export { ConfigError, loadConfig } from './load-config';
export { ConfigModule } from './config.module';
