// The Luhn check digit of a Swedish identity number, over its nine digits YYMMDDNNN, written apart
// from src-main/domain/personnummer.ts so the tests do not trust the code under test.
export const luhn = (nine: string): number =>
  (10 -
    ([...nine].reduce((sum, c, i) => {
      const v = Number(c) * (i % 2 === 0 ? 2 : 1);
      return sum + (v > 9 ? v - 9 : v);
    }, 0) %
      10)) %
  10;
