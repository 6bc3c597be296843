import { pageConfig } from '../vite.page.mjs';

export default pageConfig('sidebar');
