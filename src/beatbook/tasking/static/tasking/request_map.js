// A tasking request's place on a map: its 250 m squares.
// "show" mode draws them. "pick" mode also lets the requester zoom in, select a square to add or
// remove it, or draw an area whose squares are added; the squares chosen are written into the
// "Cells" box, which is what the form sends. Without this script that box, or a postcode and a
// distance, gives the place instead. The squares' grid comes from the server (cells.json), so
// the map and the forecasts always agree on where a square is.
(function () {
  "use strict";
  var holder = document.getElementById("request-map");
  var data = document.getElementById("request-cells-data");
  if (!holder || !data || typeof L === "undefined") return;
  holder.hidden = false;
  var pick = holder.dataset.mode === "pick";
  var box = document.getElementById("id_cells");
  var polygonBox = document.getElementById("id_polygon");
  var status = document.getElementById("request-map-status");
  var centre = JSON.parse(holder.dataset.centre || "[52.99, -2.13]");
  var map = L.map(holder, { scrollWheelZoom: false }).setView(centre, 15);
  if (holder.dataset.tileUrl) {
    L.tileLayer(holder.dataset.tileUrl, {
      maxZoom: 19,
      attribution: holder.dataset.tileAttribution || "",
      referrerPolicy: "strict-origin",
    }).addTo(map);
  }
  var CHOSEN = { color: "#1d70b8", weight: 2, fillOpacity: 0.45 };
  var GRID = { color: "#505a5f", weight: 1, fillOpacity: 0.02, dashArray: "2 3" };
  var chosen = {}; // key -> layer
  var grid = L.layerGroup().addTo(map);
  var chosenLayer = L.layerGroup().addTo(map);

  function latLngs(outline) {
    return outline.map(function (p) { return [p[1], p[0]]; });
  }
  function say(text) { if (status) status.textContent = text; }
  function write() {
    if (box) box.value = Object.keys(chosen).join("\n");
    var n = Object.keys(chosen).length;
    say(n + (n === 1 ? " square chosen." : " squares chosen."));
  }
  function add(cell) {
    if (chosen[cell.key]) return;
    var shape = L.polygon(latLngs(cell.outline), CHOSEN);
    if (pick) {
      shape.on("click", function (e) {
        L.DomEvent.stop(e);
        remove(cell.key);
        // The drawn area would add the square back when the form is sent: the squares are the
        // answer from now on.
        if (polygonBox) polygonBox.value = "";
        write();
      });
    }
    chosen[cell.key] = shape.addTo(chosenLayer);
  }
  function remove(key) {
    if (!chosen[key]) return;
    chosenLayer.removeLayer(chosen[key]);
    delete chosen[key];
  }

  var initial = JSON.parse(data.textContent || "[]");
  initial.forEach(add);
  if (initial.length) map.fitBounds(chosenLayer.getLayers().reduce(function (b, l) {
    return b.extend(l.getBounds());
  }, L.latLngBounds(latLngs(initial[0].outline))), { maxZoom: 16 });
  if (!pick) return;

  var url = holder.dataset.cellsUrl;
  function fetchCells(query) {
    return fetch(url + "?" + new URLSearchParams(query).toString(), {
      credentials: "same-origin",
    }).then(function (r) { return r.json(); });
  }
  function showGrid() {
    grid.clearLayers();
    if (map.getZoom() < 15) { say("Zoom in to see the squares."); return; }
    var b = map.getBounds();
    fetchCells({ south: b.getSouth(), west: b.getWest(), north: b.getNorth(), east: b.getEast() })
      .then(function (answer) {
        (answer.cells || []).forEach(function (cell) {
          // Each square is named by a class, so it can be found (and tested) by its key.
          var shape = L.polygon(latLngs(cell.outline), L.extend({ className: "app-cell-" + cell.key }, GRID));
          shape.on("click", function () { add(cell); write(); });
          grid.addLayer(shape);
        });
      });
  }
  map.on("moveend", function () { if (!drawing) showGrid(); });

  // Drawing an area: each click adds a corner; "Use the area drawn" adds its squares.
  var drawing = false;
  var corners = [];
  var outline = L.polygon([], { color: "#d4351c", weight: 2, fillOpacity: 0.1 }).addTo(map);
  var drawButton = document.getElementById("request-map-draw");
  var finishButton = document.getElementById("request-map-finish");
  document.getElementById("request-map-actions").hidden = false;
  map.on("click", function (e) {
    if (!drawing) return;
    corners.push(e.latlng);
    outline.setLatLngs(corners);
    say(corners.length + " corners drawn. Select “Use the area drawn” when the area is closed.");
  });
  drawButton.addEventListener("click", function () {
    drawing = true;
    corners = [];
    outline.setLatLngs([]);
    grid.clearLayers();
    finishButton.hidden = false;
    say("Select the map at each corner of the area.");
  });
  finishButton.addEventListener("click", function () {
    if (corners.length < 3) { say("Draw at least three corners."); return; }
    var ring = corners.map(function (c) { return [+c.lng.toFixed(6), +c.lat.toFixed(6)]; });
    ring.push(ring[0]);
    var polygon = { type: "Polygon", coordinates: [ring] };
    fetchCells({ polygon: JSON.stringify(polygon) }).then(function (answer) {
      if (answer.error) { say(answer.error); return; }
      if (polygonBox) polygonBox.value = JSON.stringify(polygon);
      answer.cells.forEach(add);
      drawing = false;
      finishButton.hidden = true;
      outline.setLatLngs([]);
      write();
      showGrid();
    });
  });
  document.getElementById("request-map-clear").addEventListener("click", function () {
    Object.keys(chosen).forEach(remove);
    if (polygonBox) polygonBox.value = "";
    write();
  });
  showGrid();
})();
