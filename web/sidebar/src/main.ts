import { createApp } from 'vue';
import './vant-styles';
import './style.css';
import App from './App.vue';

createApp(App).mount('#app');
