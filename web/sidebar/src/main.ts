import { createApp } from 'vue';
import 'vant/lib/index.css';
import './style.css';
import App from './App.vue';

createApp(App).mount('#app');
