declare module 'virtual:upkeep/view' {
  const view: import('./view-model.ts').SiteView;
  export default view;
}
