// Starts GraphiQL with the settings the server wrote into the page
// (#graphiql-config); kept out of the page so that the page's
// Content-Security-Policy can forbid inline scripts.
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('graphiql-config').textContent);
  var props = {
    fetcher: GraphiQL.createFetcher({ url: new URL(config.endpoint, window.location.href).toString() }),
    defaultQuery: config.defaultQuery,
    defaultEditorToolsVisibility: true,
    shouldPersistHeaders: false,
  };
  // Open the documentation explorer on a first visit; afterwards GraphiQL
  // remembers whether the user closed it.
  try {
    if (window.localStorage.getItem('graphiql:visiblePlugin') === null) {
      props.visiblePlugin = 'Documentation Explorer';
    }
  } catch (e) {
    props.visiblePlugin = 'Documentation Explorer';
  }
  ReactDOM.createRoot(document.getElementById('graphiql')).render(React.createElement(GraphiQL, props));
})();
