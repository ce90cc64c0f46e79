#!/usr/bin/env bash
# Reproducible benchmark corpus: 200 JPEG (q=90) made from REAL photos shipped in Debian 12 packages.
#   python3-skimage 0.19.3-8          : astronaut, chelsea, coffee, motorcycle_left/right, rocket, retina, hubble_deep_field
#   plasma-workspace-wallpapers 5.27.5: the photographic 2560x1600 wallpapers (Autumn, BytheWater, ...)
# Size classes (landscape and portrait):
#   1mp  : 1152x864  (~1.0 MP)  x80
#   3mp  : 2048x1536 (~3.1 MP)  x80
#   12mp : 4000x3000 (12.0 MP)  x40
# Variants: different centre/offset crops, mirror, mild rotation, brightness/saturation change; light
# Gaussian noise on upscaled variants so the entropy (bytes/pixel) resembles camera JPEGs, not smooth upscales.
set -euo pipefail
# usage: make-photos.sh OUTDIR   (needs ImageMagick: apt-get install imagemagick; downloads two Debian packages)
# CONVERT may name the ImageMagick binary to use when the first `convert` on PATH is not the real one.
OUT=${1:?usage: make-photos.sh OUTDIR}
CONVERT=${CONVERT:-convert}
mkdir -p "$OUT/debs" "$OUT/photos"
OUT=$(cd "$OUT" && pwd)
command -v "$CONVERT" >/dev/null || { echo "needs ImageMagick (apt-get install imagemagick)" >&2; exit 1; }
if [ ! -d "$OUT/debs/x/usr/share/wallpapers" ]; then
  (cd "$OUT/debs" && apt-get download python3-skimage plasma-workspace-wallpapers && for d in *.deb; do dpkg -x "$d" x; done)
fi
SK=$OUT/debs/x/usr/lib/python3/dist-packages/skimage/data
WP=$OUT/debs/x/usr/share/wallpapers
SRCS=(
  $WP/Autumn/contents/images/2560x1600.jpg
  $WP/BytheWater/contents/images/2560x1600.jpg
  $WP/ColdRipple/contents/images/2560x1600.jpg
  $WP/ColorfulCups/contents/images/2560x1600.jpg
  $WP/DarkestHour/contents/images/2560x1600.jpg
  $WP/EveningGlow/contents/images/2560x1600.jpg
  $WP/FallenLeaf/contents/images/2560x1600.jpg
  $WP/Grey/contents/images/2560x1600.jpg
  $WP/Kite/contents/images/2560x1600.jpg
  $WP/OneStandsOut/contents/images/2560x1600.jpg
  $WP/Path/contents/images/2560x1600.jpg
  $WP/summer_1am/contents/images/2560x1600.jpg
  $SK/astronaut.png
  $SK/chelsea.png
  $SK/coffee.png
  $SK/motorcycle_left.png
  $SK/motorcycle_right.png
  $SK/rocket.jpg
  $SK/retina.jpg
  $SK/hubble_deep_field.jpg
)
N=${#SRCS[@]}
GRAV=(center north south east west northwest southeast)
mk() { # idx class W H
  local i=$1 cls=$2 W=$3 H=$4
  local src=${SRCS[$(( (i*7) % N ))]}
  local g=${GRAV[$(( i % ${#GRAV[@]} ))]}
  local ops=()
  # portrait every 5th image
  if (( i % 5 == 4 )); then local t=$W; W=$H; H=$t; fi
  (( i % 2 == 1 )) && ops+=(-flop)
  (( i % 3 == 2 )) && ops+=(-distort SRT "$(( (i % 7) - 3 ))")   # mild rotation -3..3 deg
  ops+=(-modulate "$(( 90 + (i*13) % 25 )),$(( 85 + (i*7) % 30 ))")
  # zoom crop: take 70..100% of the source, then fill target size
  local z=$(( 70 + (i*11) % 31 ))
  local out=$OUT/photos/${cls}_$(printf %03d "$i").jpg
  "$CONVERT" "$src" -auto-orient -colorspace sRGB -type TrueColor "${ops[@]}" \
    -gravity "$g" -crop "${z}%x${z}%+0+0" +repage \
    -resize "${W}x${H}^" -gravity center -extent "${W}x${H}" \
    -seed "$i" -attenuate 0.6 +noise Gaussian \
    -strip -sampling-factor 4:2:0 -quality 90 "$out"
}
i=0
for k in $(seq 1 80); do mk $i 1mp 1152 864;  i=$((i+1)); done
for k in $(seq 1 80); do mk $i 3mp 2048 1536; i=$((i+1)); done
for k in $(seq 1 40); do mk $i 12mp 4000 3000; i=$((i+1)); done
ls "$OUT/photos" | wc -l
du -sh "$OUT/photos"
