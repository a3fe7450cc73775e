/**
 * The dashboard's HTML shell. It holds no data: the script fills it in after the operator
 * signed in. Texts carry `data-i18n` keys so the language switch can rewrite them; the
 * Vietnamese words are in the markup as well, so the page reads right even before the script runs.
 */
import { DASHBOARD_WORKBENCH_HTML } from './dashboard-workbench-page';

export const DASHBOARD_PAGE_HTML = `<!doctype html>
<html lang="vi">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="referrer" content="no-referrer">
  <title>Bảng điều hành – Cầu nối Bưu điện – Một cửa</title>
  <link rel="stylesheet" href="/ops/assets/dashboard.css">
  <link rel="stylesheet" href="/ops/assets/uplot.css">
  <link rel="stylesheet" href="/ops/assets/trends.css">
  <script type="module" src="/ops/assets/dashboard.js"></script>
</head>
<body>
  <a class="skip" href="#main" data-i18n="app.skip">Bỏ qua đến nội dung chính</a>
  <header class="topbar">
    <div class="bar">
      <div class="brand">
        <span class="logo" aria-hidden="true">⇄</span>
        <div>
          <h1 data-i18n="app.title">Bảng điều hành</h1>
          <p class="subtitle" data-i18n="app.subtitle">Cầu nối Bưu điện – Một cửa</p>
        </div>
      </div>
      <nav class="sections" aria-label="Mục" data-when="signed-in" hidden>
        <a href="#trends" data-i18n="nav.trends">Xu hướng</a>
        <a href="#agencies" data-i18n="nav.agencies">Cơ quan</a>
        <a href="#hierarchy" data-i18n="nav.hierarchy">Sơ đồ đơn vị</a>
        <a href="#dead-letters" data-i18n="nav.deadLetters">Thư chết</a>
        <a href="#search" data-i18n="nav.search">Tìm hồ sơ</a>
        <a href="#late" data-i18n="nav.late">Trễ hạn</a>
      </nav>
      <div class="tools">
        <label class="lang"><span data-i18n="app.language">Ngôn ngữ</span>
          <select id="language">
            <option value="vi">Tiếng Việt</option>
            <option value="en">English</option>
          </select>
        </label>
        <button type="button" id="logout" class="ghost" data-when="signed-in" data-i18n="app.logout" hidden>Đăng xuất</button>
      </div>
    </div>
    <div class="statusbar" data-when="signed-in" hidden>
      <span class="live-dot" aria-hidden="true"></span>
      <p id="refresh-status" class="refresh" role="status" aria-live="polite"></p>
      <button type="button" id="refresh-now" class="link small" data-i18n="app.refreshNow">Cập nhật ngay</button>
      <a id="queues-link" class="queues-link" href="/ops/queues/" target="_blank" rel="noopener" data-i18n="app.queuesLink">Chi tiết hàng đợi (Bull Board)</a>
    </div>
  </header>

  <div id="toast" class="toast" role="status" aria-live="polite" hidden></div>

  <main id="main" tabindex="-1">
    <section id="login" class="card login" aria-labelledby="login-title" data-when="signed-out">
      <h2 id="login-title" data-i18n="login.title">Đăng nhập người điều hành</h2>
      <p data-i18n="login.intro">Nhập khóa API có vai trò người điều hành (operator).</p>
      <form id="login-form" novalidate>
        <label for="api-key" data-i18n="login.key">Khóa API</label>
        <input id="api-key" name="apiKey" type="password" autocomplete="off" spellcheck="false" required>
        <button type="submit" class="primary" data-i18n="login.submit">Đăng nhập</button>
      </form>
      <p id="login-message" class="message" role="alert"></p>
    </section>

    <div id="dashboard" data-when="signed-in" hidden>
      <section id="trends" aria-labelledby="trends-title">
        <div class="section-head">
          <h2 id="trends-title" data-i18n="trends.title">Xu hướng</h2>
          <p class="muted" data-i18n="trends.intro"></p>
        </div>
        <div id="trend-charts"></div>
      </section>

      <section id="agencies" aria-labelledby="agencies-title">
        <div class="section-head">
          <h2 id="agencies-title" data-i18n="agencies.title">Cơ quan</h2>
          <p id="agency-summary" class="muted"></p>
        </div>
        <div class="agency-tools">
          <form id="agency-search-form" role="search">
            <input id="agency-search" type="search" maxlength="100" data-i18n-placeholder="pager.search" aria-label="Tìm theo mã hoặc tên" />
            <button type="submit" data-i18n="pager.searchButton">Tìm cơ quan</button>
          </form>
          <nav id="agency-pager" class="agency-pager" aria-label="pages"></nav>
        </div>
        <div id="agency-grid"></div>
      </section>
${DASHBOARD_WORKBENCH_HTML}

      <section id="hierarchy" aria-labelledby="hierarchy-title">
        <div class="section-head">
          <h2 id="hierarchy-title" data-i18n="hierarchy.title">Sơ đồ đơn vị</h2>
          <p class="muted" data-i18n="hierarchy.intro"></p>
        </div>
        <div id="hierarchy-tree"></div>
      </section>

      <section id="dead-letters" aria-labelledby="dead-letters-title">
        <div class="section-head">
          <h2 id="dead-letters-title" data-i18n="deadLetters.title">Thư chết / Lỗi giao nhận</h2>
        </div>
        <p class="muted" data-i18n="deadLetters.intro"></p>
        <div id="dead-letter-groups"></div>
      </section>

      <section id="search" aria-labelledby="search-title">
        <div class="section-head">
          <h2 id="search-title" data-i18n="search.title">Tìm hồ sơ</h2>
        </div>
        <form id="search-form" class="search" role="search">
          <label for="dossier-ref" data-i18n="search.label">Mã bưu gửi S10, mã hồ sơ của cơ quan hoặc mã hồ sơ cầu nối</label>
          <div class="search-row">
            <input id="dossier-ref" name="ref" type="search" autocomplete="off" spellcheck="false" data-i18n-placeholder="search.placeholder">
            <button type="submit" class="primary" data-i18n="search.submit">Tìm</button>
          </div>
        </form>
        <div id="dossier-result" aria-live="polite"></div>
      </section>

      <section id="late" aria-labelledby="late-title">
        <div class="section-head">
          <h2 id="late-title" data-i18n="late.title">Hồ sơ trễ hạn</h2>
          <label class="inline"><span data-i18n="late.filter">Lọc theo cơ quan</span>
            <select id="late-agency"><option value="" data-i18n="late.all">Tất cả cơ quan</option></select>
          </label>
        </div>
        <div id="late-list"></div>
      </section>
    </div>
  </main>
</body>
</html>
`;
