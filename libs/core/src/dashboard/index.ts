export * from './dashboard.module';
export * from './dashboard.controller';
export * from './dashboard-assets';
export * from './queue-board';
export * from './operator-auth.middleware';
export * from './assets/dashboard-messages';
