// The walking routes page's map: each route's stops joined in walking order, numbered, in its
// own colour. Leaflet is set up from data attributes and a JSON block (no inline script, for
// the content security policy); tiles only where a tile server is configured. Everything the
// map shows is also in the page's table and on each route's printed sheet.
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

  function stopLabel(route, index, stop) {
    var text = "Route " + route.number + ", stop " + (index + 1) + ": " + stop[2];
    return text + " (" + stop[3] + (stop[3] === 1 ? " household)" : " households)");
  }

  function drawRoute(map, route, colour) {
    var points = route.stops.map(function (stop) {
      return [stop[0], stop[1]];
    });
    var layers = [L.polyline(points, { color: colour, weight: 4, opacity: 0.8 })];
    route.stops.forEach(function (stop, index) {
      var marker = L.circleMarker([stop[0], stop[1]], {
        radius: index === 0 ? 8 : 5,
        color: colour,
        weight: 2,
        fillColor: index === 0 ? "#ffffff" : colour,
        fillOpacity: 1,
      });
      var label = document.createElement("span");
      label.textContent = stopLabel(route, index, stop);
      marker.bindTooltip(label);
      layers.push(marker);
    });
    return L.featureGroup(layers).addTo(map);
  }

  function start() {
    showJsOnly();
    var container = document.getElementById("route-map");
    var data = document.getElementById("route-data");
    if (!container || !data || !window.L) {
      return;
    }
    var routes = JSON.parse(data.textContent).filter(function (route) {
      return route.stops.length > 0;
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
