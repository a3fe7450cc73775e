import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../security';
import {
  DASHBOARD_ASSETS,
  DASHBOARD_CONTENT_SECURITY_POLICY,
  DASHBOARD_PAGE,
  DashboardAsset,
} from './dashboard-assets';

/**
 * Serves the operations dashboard. The page and its files are public: they hold no data. The
 * page asks the operator for an API key and calls the ops API with it.
 */
@ApiExcludeController()
@Public()
@Controller('ops')
export class DashboardController {
  @Get()
  page(@Res() response: Response): void {
    response.setHeader('Content-Security-Policy', DASHBOARD_CONTENT_SECURITY_POLICY);
    response.setHeader('X-Frame-Options', 'DENY');
    send(response, DASHBOARD_PAGE);
  }

  @Get('assets/:name')
  asset(@Param('name') name: string, @Res() response: Response): void {
    const asset = DASHBOARD_ASSETS.get(name);
    if (!asset) throw new NotFoundException(`no dashboard file named "${name}"`);
    send(response, asset);
  }
}

function send(response: Response, asset: DashboardAsset): void {
  response.setHeader('Content-Type', asset.contentType);
  // Small files: revalidating on every load means a new release shows up at once.
  response.setHeader('Cache-Control', 'no-cache');
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.status(200).send(asset.body);
}
