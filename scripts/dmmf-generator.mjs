#!/usr/bin/env node
// A Prisma generator that writes the schema's DMMF datamodel to a JSON file, so that the
// schema-drift test can compare schema.prisma with what the SQL migrations create.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import generatorHelper from '@prisma/generator-helper';

generatorHelper.generatorHandler({
  onManifest: () => ({ prettyName: 'DMMF for the drift test', defaultOutput: './dmmf.json' }),
  onGenerate: async (options) => {
    const output = options.generator.output?.value;
    if (!output) throw new Error('dmmf generator: output is required');
    mkdirSync(dirname(output), { recursive: true });
    writeFileSync(output, JSON.stringify(options.dmmf.datamodel, null, 1));
  },
});
