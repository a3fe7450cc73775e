/** The words of the "try a change" panel, in Vietnamese (the default) and English. */
const vi = {
  'workbench.title': 'Thử thay đổi tệp cơ quan',
  'workbench.try': 'Thử thay đổi',
  'workbench.intro':
    'Dán hoặc tải lên tệp cơ quan đã sửa. Cầu nối chạy lại các ánh xạ trên những hồ sơ và câu trả lời đã lưu, so với tệp đang dùng. Không áp dụng gì, không gửi gì cho cơ quan.',
  'workbench.for': '{name} ({code})',
  'workbench.file': 'Tệp cơ quan (YAML hoặc JSON)',
  'workbench.upload': 'Tải tệp lên',
  'workbench.since': 'Lịch sử',
  'workbench.days7': '7 ngày qua',
  'workbench.days30': '30 ngày qua',
  'workbench.days90': '90 ngày qua',
  'workbench.run': 'So sánh với lịch sử',
  'workbench.close': 'Đóng',
  'workbench.running': 'Đang chạy lại lịch sử…',
  'workbench.empty': 'Hãy dán hoặc tải lên một tệp cơ quan.',
  'workbench.badJson': 'Tệp JSON không đọc được: {reason}',
  'workbench.tooLarge': 'Tệp lớn hơn {size} byte.',
  'workbench.invalid': 'Tệp không hợp lệ, chưa so sánh:',
  'workbench.verdictSame':
    'Giống hệt: {messages} thông điệp đã chạy lại trong {time}, không hồ sơ nào có kết luận khác.',
  'workbench.verdictChanged':
    '{messages} thông điệp đã chạy lại trong {time}: {dossiers} hồ sơ có kết luận khác. Không có lỗi mới.',
  'workbench.verdictFailing':
    'Có ánh xạ nay bị lỗi: {messages} thông điệp đã chạy lại trong {time}, {dossiers} hồ sơ bị ảnh hưởng. Đừng áp dụng tệp này.',
  'workbench.mapping': 'Ánh xạ',
  'workbench.replayed': 'Đã chạy lại',
  'workbench.same': 'Giống',
  'workbench.changed': 'Khác',
  'workbench.nowFailing': 'Nay lỗi',
  'workbench.nowPassing': 'Nay được',
  'workbench.fallbacks': 'Chạy bằng JSONata',
  'workbench.examples': 'Ví dụ',
  'workbench.dossiers': 'Hồ sơ có kết luận khác ({count}):',
  'workbench.masked': 'Các trường bị che trong nhật ký thông điệp, chỉ so được ở dạng đã che:',
  'workbench.notReplayed': 'Không chạy lại {what}: {why}',
};

const en: Record<keyof typeof vi, string> = {
  'workbench.title': 'Try a change to the agency file',
  'workbench.try': 'Try a change',
  'workbench.intro':
    'Paste or upload the changed agency file. The bridge re-runs its mappings over the stored dossiers and answers and compares with the file in force. Nothing is applied and nothing is sent to the agency.',
  'workbench.for': '{name} ({code})',
  'workbench.file': 'Agency file (YAML or JSON)',
  'workbench.upload': 'Upload a file',
  'workbench.since': 'History',
  'workbench.days7': 'last 7 days',
  'workbench.days30': 'last 30 days',
  'workbench.days90': 'last 90 days',
  'workbench.run': 'Compare with the history',
  'workbench.close': 'Close',
  'workbench.running': 'Replaying the history…',
  'workbench.empty': 'Please paste or upload an agency file.',
  'workbench.badJson': 'The JSON file cannot be read: {reason}',
  'workbench.tooLarge': 'The file is larger than {size} bytes.',
  'workbench.invalid': 'The file is not valid; nothing was compared:',
  'workbench.verdictSame':
    'All the same: {messages} messages replayed in {time}, no dossier concluded differently.',
  'workbench.verdictChanged':
    '{messages} messages replayed in {time}: {dossiers} dossiers would be concluded differently. Nothing newly fails.',
  'workbench.verdictFailing':
    'Mappings now fail: {messages} messages replayed in {time}, {dossiers} dossiers affected. Do not apply this file.',
  'workbench.mapping': 'Mapping',
  'workbench.replayed': 'Replayed',
  'workbench.same': 'Same',
  'workbench.changed': 'Changed',
  'workbench.nowFailing': 'Now failing',
  'workbench.nowPassing': 'Now passing',
  'workbench.fallbacks': 'Run by JSONata',
  'workbench.examples': 'Examples',
  'workbench.dossiers': 'Dossiers concluded differently ({count}):',
  'workbench.masked': 'Fields masked in the message log, compared in their masked form only:',
  'workbench.notReplayed': 'Not replayed, {what}: {why}',
};

/** The panel's dictionary, merged into the dashboard's. */
export const WORKBENCH_MESSAGES = { vi, en } as const;
