import { createApp } from 'vue';
import ElementPlus from 'element-plus';
import 'element-plus/dist/index.css';
import './style.css';
import App from './App.vue';
import { i18n } from './i18n';

document.documentElement.lang = i18n.locale.value;
createApp(App).use(ElementPlus).mount('#app');
