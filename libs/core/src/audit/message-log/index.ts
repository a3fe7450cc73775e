export * from './message-log-chain';
export * from './message-log-verifier';
export * from './message-log-retention';
export * from './message-log.service';
export * from './message-log-chainer';
export * from './message-log-search';
export * from './message-log-staging';
