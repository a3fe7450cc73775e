/** The "try a change" panel's markup, placed after the agency cards; hidden until an agency's button opens it. */
export const DASHBOARD_WORKBENCH_HTML = `
      <section id="workbench" class="card workbench" aria-labelledby="workbench-title" hidden>
        <div class="section-head">
          <h2 id="workbench-title" data-i18n="workbench.title">Thử thay đổi tệp cơ quan</h2>
          <p id="workbench-agency" class="muted"></p>
          <button type="button" id="workbench-close" class="link small" data-i18n="workbench.close">Đóng</button>
        </div>
        <p class="muted" data-i18n="workbench.intro"></p>
        <form id="workbench-form" novalidate>
          <label for="workbench-file" data-i18n="workbench.file">Tệp cơ quan (YAML hoặc JSON)</label>
          <textarea id="workbench-file" rows="12" spellcheck="false" class="mono"></textarea>
          <div class="workbench-row">
            <label><span data-i18n="workbench.upload">Tải tệp lên</span>
              <input id="workbench-upload" type="file" accept=".yaml,.yml,.json"></label>
            <label><span data-i18n="workbench.since">Lịch sử</span>
              <select id="workbench-since">
                <option value="7d" data-i18n="workbench.days7">7 ngày qua</option>
                <option value="30d" selected data-i18n="workbench.days30">30 ngày qua</option>
                <option value="90d" data-i18n="workbench.days90">90 ngày qua</option>
              </select></label>
            <button type="submit" id="workbench-run" class="primary" data-i18n="workbench.run">So sánh với lịch sử</button>
          </div>
        </form>
        <div id="workbench-result" aria-live="polite"></div>
      </section>
`;

/** The panel's styles, appended to the dashboard's sheet. */
export const DASHBOARD_WORKBENCH_CSS = `
.workbench { margin: 1.5rem 0; }
.workbench form { display: grid; gap: .5rem; }
.workbench textarea { width: 100%; padding: .5rem; border: 1px solid #b8c2d0; border-radius: 7px; }
.workbench-row { display: flex; flex-wrap: wrap; align-items: end; gap: 1rem; }
.workbench-row label { display: grid; gap: .25rem; font-size: .9rem; }
.workbench-counts { border-collapse: collapse; margin: .75rem 0; }
.workbench-counts th, .workbench-counts td { padding: .3rem .7rem; border-bottom: 1px solid var(--line); text-align: left; }
.verdict { font-weight: 600; }
.verdict-ok { color: var(--green); }
.verdict-bad { color: var(--red); }
.workbench-examples li { margin: .25rem 0; overflow-wrap: anywhere; }
`;
