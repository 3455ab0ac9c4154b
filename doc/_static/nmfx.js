// Gallery figures are drawn wider than the text column: a click opens one at
// full size.
document.addEventListener("DOMContentLoaded", function () {
  document
    .querySelectorAll("img.sphx-glr-single-img, img.sphx-glr-multi-img")
    .forEach(function (img) {
      if (img.closest("a")) {
        return;
      }
      var link = document.createElement("a");
      link.href = img.getAttribute("src");
      link.title = "Open the figure at full size";
      img.parentNode.insertBefore(link, img);
      link.appendChild(img);
    });
});
