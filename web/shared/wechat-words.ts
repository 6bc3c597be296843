/**
 * WeChat's own codes as words, shared by the console and the sidebar: OA subscribe scenes (`subscribe_scene` of
 * user/info, wechat-api.md) and WeCom add ways (`add_way` of externalcontact/get, wechat-api-wecom-ops.md).
 */
export const wechatWordsZh = {

  'scene.ADD_SCENE_SEARCH': '搜索公众号',
  'scene.ADD_SCENE_ACCOUNT_MIGRATION': '公众号迁移',
  'scene.ADD_SCENE_PROFILE_CARD': '名片分享',
  'scene.ADD_SCENE_QR_CODE': '扫描二维码',
  'scene.ADD_SCENE_PROFILE_LINK': '图文页内名称点击',
  'scene.ADD_SCENE_PROFILE_ITEM': '图文页右上角菜单',
  'scene.ADD_SCENE_PAID': '支付后关注',
  'scene.ADD_SCENE_WECHAT_ADVERTISEMENT': '微信广告',
  'scene.ADD_SCENE_REPRINT': '他人转载',
  'scene.ADD_SCENE_LIVESTREAM': '视频号直播',
  'scene.ADD_SCENE_CHANNELS': '视频号',
  'scene.ADD_SCENE_WXA': '小程序关注',
  'scene.ADD_SCENE_OTHERS': '其他',

  'addWay.0': '未知来源',
  'addWay.1': '扫描二维码',
  'addWay.2': '搜索手机号',
  'addWay.3': '名片分享',
  'addWay.4': '群聊',
  'addWay.5': '手机通讯录',
  'addWay.6': '微信联系人',
  'addWay.7': '微信好友申请',
  'addWay.8': '第三方应用自动添加的客服',
  'addWay.9': '搜索邮箱',
  'addWay.10': '视频号主页',
  'addWay.201': '内部成员共享',
  'addWay.202': '管理员/负责人分配',
};

export const wechatWordsEn: Record<keyof typeof wechatWordsZh, string> = {

  'scene.ADD_SCENE_SEARCH': 'searched the account',
  'scene.ADD_SCENE_ACCOUNT_MIGRATION': 'account migration',
  'scene.ADD_SCENE_PROFILE_CARD': 'shared profile card',
  'scene.ADD_SCENE_QR_CODE': 'scanned a QR code',
  'scene.ADD_SCENE_PROFILE_LINK': 'name link in an article',
  'scene.ADD_SCENE_PROFILE_ITEM': 'article menu',
  'scene.ADD_SCENE_PAID': 'after a payment',
  'scene.ADD_SCENE_WECHAT_ADVERTISEMENT': 'WeChat ad',
  'scene.ADD_SCENE_REPRINT': 'reprinted article',
  'scene.ADD_SCENE_LIVESTREAM': 'Channels live stream',
  'scene.ADD_SCENE_CHANNELS': 'Channels',
  'scene.ADD_SCENE_WXA': 'Mini Program',
  'scene.ADD_SCENE_OTHERS': 'other',

  'addWay.0': 'unknown',
  'addWay.1': 'scanned a QR code',
  'addWay.2': 'searched a phone number',
  'addWay.3': 'shared contact card',
  'addWay.4': 'group chat',
  'addWay.5': 'phone contacts',
  'addWay.6': 'WeChat contacts',
  'addWay.7': 'WeChat friend request',
  'addWay.8': 'auto-added service staff',
  'addWay.9': 'searched an email',
  'addWay.10': 'Channels homepage',
  'addWay.201': 'shared by a colleague',
  'addWay.202': 'assigned by an admin',
};
