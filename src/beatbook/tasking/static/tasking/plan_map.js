// The patrol plan's map: each officer's route from their base through their visits in order,
// numbered, in its own colour. Set up from data attributes and a JSON block (no inline script,
// for the content security policy); tiles only where a tile server is configured. Everything
// the map shows is also in the page's tables and lists.
(function () {
  "use strict";

  // GOV.UK colours that stay distinct next to each other.
  var COLOURS = ["#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#f47738", "#5694ca", "#912b88"];

  function showJsOnly() {
    document.querySelectorAll(".app-js-only").forEach(function (element) {
      element.hidden = false;
    });
    document.querySelectorAll(".app-no-js").forEach(function (element) {
      element.hidden = true;
    });
  }

  function createMap(container) {
    var map = L.map(container, { scrollWheelZoom: false });
    var tiles = container.dataset.tileUrl;
    if (tiles) {
      L.tileLayer(tiles, {
        attribution: container.dataset.tileAttribution || "",
        maxZoom: 19,
        referrerPolicy: "strict-origin",
      }).addTo(map);
    }
    return map;
  }

  function tooltip(marker, text) {
    var label = document.createElement("span");
    label.textContent = text;
    marker.bindTooltip(label);
  }

  function drawRoute(map, route, colour) {
    var base = [route.base[0], route.base[1]];
    var points = [base].concat(
      route.visits.map(function (visit) {
        return [visit[0], visit[1]];
      })
    );
    var layers = [L.polyline(points, { color: colour, weight: 4, opacity: 0.8 })];
    var home = L.circleMarker(base, {
      radius: 8,
      color: colour,
      weight: 3,
      fillColor: "#ffffff",
      fillOpacity: 1,
    });
    tooltip(home, route.officer + ": starts from " + route.base[2]);
    layers.push(home);
    route.visits.forEach(function (visit, index) {
      var marker = L.circleMarker([visit[0], visit[1]], {
        radius: 6,
        color: colour,
        weight: 2,
        fillColor: colour,
        fillOpacity: 1,
      });
      tooltip(marker, route.officer + ", visit " + (index + 1) + " at " + visit[3] + ": " + visit[2]);
      layers.push(marker);
    });
    return L.featureGroup(layers).addTo(map);
  }

  function start() {
    showJsOnly();
    var container = document.getElementById("plan-map");
    var data = document.getElementById("plan-route-data");
    if (!container || !data || !window.L) {
      return;
    }
    var routes = JSON.parse(data.textContent).filter(function (route) {
      return route.visits.length > 0;
    });
    if (!routes.length) {
      container.hidden = true;
      return;
    }
    var map = createMap(container);
    var groups = routes.map(function (route, index) {
      return drawRoute(map, route, COLOURS[index % COLOURS.length]);
    });
    map.fitBounds(L.featureGroup(groups).getBounds().pad(0.1), { maxZoom: 17 });
  }

  start();
})();
