import type { Config } from 'jest';

/** The same suites run once against Express 5 and once against Express 4. */
function project(express: '4' | '5'): Config {
  return {
    displayName: `express${express}`,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
    // The example app brings its own Express, and one soak is enough.
    testPathIgnorePatterns:
      express === '4' ? ['/shutdown\\.test\\.ts$', '/soak\\.test\\.ts$'] : [],
    transform: {
      '^.+\\.ts$': ['ts-jest', { tsconfig: { module: 'commonjs' } }],
    },
    moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
    setupFiles: [`<rootDir>/__tests__/helpers/express${express}.ts`],
  };
}

const config: Config = {
  projects: [project('5'), project('4')],
};

export default config;
