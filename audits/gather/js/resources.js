// What the page downloaded (Resource Timing) and where its images sit, for the media audit.
var out = {viewport: [window.innerWidth, window.innerHeight], entries: [], images: []};
performance.getEntriesByType('resource').slice(0, 500).forEach(function (e) {
  out.entries.push({name: e.name, initiatorType: e.initiatorType, transferSize: e.transferSize,
                    encodedBodySize: e.encodedBodySize, decodedBodySize: e.decodedBodySize});
});
Array.prototype.slice.call(document.images, 0, 300).forEach(function (img) {
  var r = img.getBoundingClientRect();
  out.images.push({selector: __eaPath(img), src: img.currentSrc || img.src, naturalWidth: img.naturalWidth,
                   naturalHeight: img.naturalHeight, width: r.width, height: r.height, top: r.top + window.scrollY});
});
return out;
