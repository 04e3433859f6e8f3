// Draw an operation's area on a map: each click adds a corner, and the polygon is written into
// the "drawn area" box as GeoJSON. Without this script the box takes pasted GeoJSON instead.
(function () {
  "use strict";
  var box = document.getElementById("id_area_polygon");
  var holder = document.getElementById("area-map");
  if (!box || !holder || typeof L === "undefined") return;
  holder.hidden = false;
  document.getElementById("area-map-actions").hidden = false;
  var map = L.map(holder, { scrollWheelZoom: false }).setView([52.99, -2.13], 13);
  // Tiles only where a tile server is configured (MAP_TILE_URL), as on every other map.
  if (holder.dataset.tileUrl) {
    L.tileLayer(holder.dataset.tileUrl, {
      maxZoom: 19,
      attribution: holder.dataset.tileAttribution || "",
      referrerPolicy: "strict-origin",
    }).addTo(map);
  }
  var corners = [];
  var shape = L.polygon([], { color: "#1d70b8" }).addTo(map);

  function write() {
    shape.setLatLngs(corners);
    if (corners.length < 3) {
      box.value = "";
      return;
    }
    var ring = corners.map(function (c) { return [+c.lng.toFixed(6), +c.lat.toFixed(6)]; });
    ring.push(ring[0]);
    box.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
  }

  try {
    var drawn = JSON.parse(box.value);
    corners = drawn.coordinates[0].slice(0, -1).map(function (p) { return L.latLng(p[1], p[0]); });
    shape.setLatLngs(corners);
    if (corners.length) map.fitBounds(shape.getBounds());
  } catch (e) { corners = []; }

  map.on("click", function (event) { corners.push(event.latlng); write(); });
  document.getElementById("area-map-clear").addEventListener("click", function () {
    corners = [];
    write();
  });
})();
