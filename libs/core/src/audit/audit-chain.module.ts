import { Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DrainSequence, DrainStep } from '../runtime/drain-sequence';
import { warnsTo } from '../runtime/nest-loggers';
import {
  AuditCheckpointPublisher,
  auditCheckpointOptionsFromEnv,
  MessageLogChainer,
  MessageLogService,
} from './message-log';

/**
 * Keeps the message log's hash chain on a worker (docs/architecture.md, rule 8): the chainer
 * moves the entries staged by business transactions into the chain; signed checkpoints of the chain, kept outside the
 * database, reveal a cut tail. On shutdown the last checkpoint goes first, then the chainer
 * chains what the relay's flush and the jobs staged.
 */
@Injectable()
export class AuditChainRunner implements OnApplicationBootstrap {
  private readonly chainer: MessageLogChainer;
  private readonly checkpoints: AuditCheckpointPublisher;

  constructor(
    @Inject(MessageLogService) messageLog: MessageLogService,
    @Inject(DataSource) dataSource: DataSource,
    @Inject(DrainSequence) private readonly drain: DrainSequence,
  ) {
    const logger = new Logger('bridge');
    this.chainer = new MessageLogChainer(messageLog, { onError: warnsTo(logger, 'message log chainer') });
    this.checkpoints = new AuditCheckpointPublisher(
      messageLog,
      dataSource,
      auditCheckpointOptionsFromEnv(),
      warnsTo(logger, 'audit checkpoint'),
    );
  }

  onApplicationBootstrap(): void {
    this.chainer.start();
    this.drain.add(DrainStep.Chainer, 'message log chainer', () => this.chainer.stop({ flush: true }));
    this.checkpoints.start();
    this.drain.add(DrainStep.Checkpoints, 'audit checkpoints', () => this.checkpoints.stop());
  }
}

/** A worker's message-log chainer and checkpoints. */
@Module({ providers: [AuditChainRunner] })
export class AuditChainModule {}
