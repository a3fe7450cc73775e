import { Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BRIDGE_CONFIG, BridgeConfig } from '@bridge/config';
import { DrainSequence, DrainStep } from '../runtime/drain-sequence';
import { warnsTo } from '../runtime/nest-loggers';
import { StuckDossierSweeper } from './stuck-dossier-sweeper';

/** Runs the {@link StuckDossierSweeper} on a worker; it stops once the queues are closed. */
@Injectable()
export class StuckDossierSweeperRunner implements OnApplicationBootstrap {
  private readonly sweeper: StuckDossierSweeper;

  constructor(
    @Inject(DataSource) dataSource: DataSource,
    @Inject(BRIDGE_CONFIG) config: BridgeConfig,
    @Inject(DrainSequence) private readonly drain: DrainSequence,
  ) {
    this.sweeper = new StuckDossierSweeper(dataSource, {
      stuckAfterMs: config.stuckDossierAfterMs,
      intervalMs: config.stuckDossierSweepMs,
      onError: warnsTo(new Logger('bridge'), 'stuck dossier sweep'),
    });
  }

  onApplicationBootstrap(): void {
    this.sweeper.start();
    this.drain.add(DrainStep.Sweeper, 'stuck dossier sweeper', () => this.sweeper.stop());
  }
}

/** A worker's sweeper of dossiers whose agency job went missing. */
@Module({ providers: [StuckDossierSweeperRunner] })
export class StuckDossierSweeperModule {}
