export * from './message-log-chain';
export * from './message-log-verifier';
export * from './message-log-retention';
export * from './message-log.service';
