import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MessageLogService } from './message-log';

/** Provides the {@link MessageLogService}; needs the persistence `DataSource` in scope. */
@Module({
  providers: [
    {
      provide: MessageLogService,
      inject: [DataSource],
      useFactory: (dataSource: DataSource) => new MessageLogService(dataSource),
    },
  ],
  exports: [MessageLogService],
})
export class AuditModule {}
