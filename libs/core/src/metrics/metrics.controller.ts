import { Controller, Get, Header, Inject, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../security';
import { MetricsAccessGuard } from './metrics-access.guard';
import { MetricsCollector } from './metrics-collector';

const EXAMPLE = `# HELP bridge_agency_deliveries_total Agency job attempts by outcome
# TYPE bridge_agency_deliveries_total counter
bridge_agency_deliveries_total{agency="000.00.53.H48",operation="submit-dossier",outcome="success"} 42
# HELP bridge_queue_jobs Jobs in the delivery queue of each agency by state
# TYPE bridge_queue_jobs gauge
bridge_queue_jobs{agency="000.00.53.H48",state="waiting"} 3`;

/** Prometheus scrape endpoint; served by the gateway and by every worker. */
@ApiTags('metrics')
@ApiBearerAuth()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(MetricsCollector) private readonly collector: MetricsCollector) {}

  // Public for the global guard; MetricsAccessGuard asks for an operator key unless
  // BRIDGE_METRICS_PUBLIC=true.
  @Get()
  @Public()
  @UseGuards(MetricsAccessGuard)
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Prometheus metrics of this process (operator key, or none when BRIDGE_METRICS_PUBLIC=true)',
  })
  @ApiProduces('text/plain')
  @ApiResponse({ status: 200, description: 'Prometheus text exposition format 0.0.4', example: EXAMPLE })
  @ApiResponse({ status: 401, description: 'No valid API key (and BRIDGE_METRICS_PUBLIC is not true)' })
  @ApiResponse({ status: 403, description: 'The key is neither admin nor operator' })
  scrape(): Promise<string> {
    return this.collector.scrape();
  }
}
