// The styles of the Vant components the page uses, without Vant's icon font: its @font-face is a data: URL with a
// CDN fallback, both refused by the page's CSP (no data: fonts, nothing from a CDN); no component here draws an icon.
import 'vant/es/style/base.css';
import 'vant/es/badge/index.css';
import 'vant/es/loading/index.css';
import 'vant/es/button/index.css';
import 'vant/es/cell/index.css';
import 'vant/es/cell-group/index.css';
import 'vant/es/switch/index.css';
import 'vant/es/tag/index.css';
import 'vant/es/image/index.css';
import 'vant/es/empty/index.css';
import 'vant/es/overlay/index.css';
import 'vant/es/popup/index.css';
import 'vant/es/toast/index.css';
