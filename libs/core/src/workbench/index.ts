export * from './workbench-report';
export * from './history-window';
export * from './mapping-workbench.service';
export * from './golden-examples';
export * from './golden-examples-file';
