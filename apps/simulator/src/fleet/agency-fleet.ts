import { AgencyFile, loadAgencyFiles, resolveEnvSecrets } from '@bridge/core';
import { DossierStatus, ServiceOption } from '@bridge/domain';
import { personApplicant } from '../postal/postal-applicants';
import { pick, Random } from '../postal/postal-identities';
import { AgencyDossierView, SimulatedAgency, startSimulatedAgency } from './simulated-agency';

/** Settings of the agency-side behaviour. */
export interface FleetOptions {
  /** Repository root: config paths and relative CSV folders resolve against it. */
  root: string;
  /** Where `${env:NAME}` secrets of the files are read. */
  env: Readonly<Record<string, string | undefined>>;
  random: Random;
  /** How long officers take for each step, [min, max] ms (default [500, 2500]). */
  stepDelayMs?: [number, number];
  /** Share of dossiers the agency asks to supplement once (default 0.1). */
  supplementRate?: number;
  /** Dossiers refused outright (default 1). */
  refusals?: number;
  /** How the applicant asked for the result, by bridge id; undefined while not known yet. */
  serviceOptionOf: (bridgeId: string) => ServiceOption | undefined;
}

type Stage = 'received' | 'processing' | 'awaiting_supplement' | 'result_ready' | 'done';

/** Where the officers are with one dossier. */
interface Work {
  stage: Stage;
  dueAt: number;
  supplement: boolean;
  refuse: boolean;
  /** For desk registrations: the post returns the result. */
  option?: ServiceOption;
}

/**
 * One simulator per agency of a configuration directory, started on the ports and folders
 * the files name, and the officers behind them: every received dossier is moved to processing,
 * sometimes back for a supplement, then to result ready (or, rarely, refused); results the
 * applicant collects at the desk ("send only") are handed over there.
 */
export class AgencyFleet {
  readonly agencies = new Map<string, SimulatedAgency>();
  private readonly work = new Map<string, Work>();
  private refusalsLeft: number;
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  /** Status changes an agency simulator refused (should stay 0). */
  driveFailures: string[] = [];

  private constructor(private readonly options: FleetOptions) {
    this.refusalsLeft = options.refusals ?? 1;
  }

  /** Starts a simulator for every agency with an adapter in `configDir`. */
  static async start(configDir: string, options: FleetOptions): Promise<AgencyFleet> {
    const fleet = new AgencyFleet(options);
    const docs = await loadAgencyFiles(configDir, { confineTo: options.root });
    try {
      for (const doc of docs) {
        const file = doc.data as AgencyFile;
        if (doc.problems.length > 0) throw new Error(`${doc.file}: ${doc.problems[0].message}`);
        if (!file.adapter) continue;
        const adapter = resolveEnvSecrets(file.adapter, options.env, (_path, name) => {
          throw new Error(`${doc.file}: environment variable ${name} is not set`);
        });
        fleet.agencies.set(file.code, await startSimulatedAgency({ ...file, adapter }, options.root));
      }
    } catch (error) {
      await fleet.close();
      throw error;
    }
    fleet.schedule();
    return fleet;
  }

  /** Agencies and the procedures each takes by post. */
  postalProcedures(): { code: string; procedures: { code: string; name: string }[] }[] {
    return [...this.agencies.values()].map((a) => ({
      code: a.file.code,
      procedures: a.file.procedures.filter((p) => p.byPost !== false),
    }));
  }

  get(code: string): SimulatedAgency {
    const agency = this.agencies.get(code);
    if (!agency) throw new Error(`the fleet runs no agency ${code}`);
    return agency;
  }

  /**
   * An applicant hands a dossier in at the agency's desk and asks the post to return the
   * result; returns the agency's dossier code. Only vendors that announce desk registrations.
   */
  registerAtDesk(agencyCode: string): string {
    const agency = this.get(agencyCode);
    if (!agency.registerAtDesk)
      throw new Error(`agency ${agencyCode} (${agency.kind}) cannot announce desk registrations`);
    const { random } = this.options;
    const person = personApplicant(random);
    const procedure = pick(
      random,
      agency.file.procedures.filter((p) => p.byPost !== false),
    );
    const place = (a: typeof person.address) => ({
      soNha: a.line,
      phuongXa: a.commune,
      quanHuyen: a.district,
      tinhThanh: a.province,
    });
    const code = agency.registerAtDesk({
      maThuTuc: procedure.code,
      chuHoSo: {
        hoTen: person.fullName,
        soGiayTo: person.citizenId,
        soDienThoai: person.phone,
        diaChi: place(person.address),
      },
      diaChiNhanKetQua: place(person.address),
      danhSachGiayTo: [{ tenGiayTo: `Tờ khai: ${procedure.name}`, loaiBan: 'BAN_CHINH', soLuong: 1 }],
    });
    this.work.set(`${agencyCode}|${code}`, this.newWork('return'));
    return code;
  }

  /** Takes an agency down for `ms`, then back up. */
  async outage(agencyCode: string, ms: number): Promise<void> {
    const agency = this.get(agencyCode);
    await agency.setDown(true);
    await new Promise((resolve) => setTimeout(resolve, ms));
    await agency.setDown(false);
  }

  /** How many dossiers the officers hold at each stage (for progress lines). */
  stages(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const work of this.work.values()) out[work.stage] = (out[work.stage] ?? 0) + 1;
    return out;
  }

  /** Filings of one bridge id at every agency: 1 each when nothing was filed twice. */
  async filedCount(agencyCode: string, bridgeId: string): Promise<number> {
    return this.get(agencyCode).filedCount(bridgeId);
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.ticking;
    await Promise.allSettled([...this.agencies.values()].map((a) => a.close()));
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.ticking = this.tick().finally(() => {
        if (this.timer) this.schedule();
      });
    }, 400);
  }

  private async tick(): Promise<void> {
    for (const agency of this.agencies.values()) {
      for (const view of agency.dossiers()) await this.step(agency, view);
    }
  }

  private newWork(option?: ServiceOption): Work {
    const refuse = this.refusalsLeft > 0 && this.options.random() < 0.05;
    if (refuse) this.refusalsLeft--;
    return {
      stage: 'received',
      dueAt: this.due(),
      supplement: !refuse && this.options.random() < (this.options.supplementRate ?? 0.1),
      refuse,
      option,
    };
  }

  private due(): number {
    const [min, max] = this.options.stepDelayMs ?? [500, 2500];
    return Date.now() + min + this.options.random() * (max - min);
  }

  /** One officer step for one dossier, when it is due. */
  private async step(agency: SimulatedAgency, view: AgencyDossierView): Promise<void> {
    const key = `${agency.file.code}|${view.code}`;
    let work = this.work.get(key);
    if (!work) {
      if (view.status !== 'received') return;
      work = this.newWork();
      this.work.set(key, work);
    }
    if (work.stage === 'done' || Date.now() < work.dueAt) return;
    const move = async (status: DossierStatus, next: Stage, note?: string) => {
      try {
        await agency.drive(view.code, status, note);
        work.stage = next;
        work.dueAt = this.due();
      } catch (error) {
        this.driveFailures.push(`${key} → ${status}: ${(error as Error).message}`);
        work.stage = 'done';
      }
    };
    switch (work.stage) {
      case 'received':
        if (view.status !== 'received') return; // the bridge has not filed it fully yet
        return move('processing', 'processing', 'Chuyên viên đang thụ lý');
      case 'processing':
        if (work.refuse) return move('rejected', 'done', 'Hồ sơ không đủ điều kiện giải quyết theo quy định');
        if (work.supplement) {
          work.supplement = false;
          return move('supplement_requested', 'awaiting_supplement', 'Đề nghị bổ sung bản sao giấy tờ');
        }
        return move('result_ready', 'result_ready', 'Đã có kết quả giải quyết');
      case 'awaiting_supplement':
        if (view.status === 'processing') work.stage = 'processing';
        else if (view.supplements > 0) return move('processing', 'processing', 'Đã nhận hồ sơ bổ sung');
        return;
      case 'result_ready': {
        const option = work.option ?? this.options.serviceOptionOf(view.bridgeId);
        if (option === undefined) return;
        if (option === 'send')
          return move('completed', 'done', 'Công dân đã nhận kết quả tại bộ phận một cửa');
        work.stage = 'done'; // the post collects it; the agency hears of the delivery
        return;
      }
      default:
    }
  }
}
