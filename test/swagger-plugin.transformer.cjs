// Runs the @nestjs/swagger CLI plugin under ts-jest so tests see the same OpenAPI metadata
// as `nest build`. Options come from nest-cli.json, so the two cannot drift apart.
// Bump `version` when this file or the plugin options change: ts-jest's cache ignores both.
const { before } = require('@nestjs/swagger/plugin');
const nestCli = require('../nest-cli.json');

const options = nestCli.compilerOptions.plugins.find((p) => p.name === '@nestjs/swagger').options;

module.exports = {
  name: 'nestjs-swagger-plugin',
  version: 1,
  factory(tsCompiler) {
    // The language service's program includes files added after start-up; `tsCompiler.program`
    // does not, and the plugin would then see imported types as `any`.
    return before(options, tsCompiler._languageService.getProgram());
  },
};
