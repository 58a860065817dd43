#!/bin/sh
# embed-themes.sh OUTPUT THEME.toml... — writes a Swift file holding each theme's text verbatim.
set -eu
output=$1
shift
{
  echo '// Generated from themes/*.toml by the EmbedThemes plugin; edit the TOML files, not this.'
  echo 'enum EmbeddedThemes {'
  echo '    static let files: [(name: String, text: String)] = ['
  for file in "$@"; do
    if grep -q '"""#' "$file"; then
      echo "embed-themes: $file contains \"\"\"#, which cannot be embedded" >&2
      exit 1
    fi
    name=$(basename "$file" .toml)
    printf '        ("%s", #"""\n' "$name"
    cat "$file"
    printf '"""#),\n'
  done
  echo '    ]'
  echo '}'
} > "$output.tmp"
mv "$output.tmp" "$output"
