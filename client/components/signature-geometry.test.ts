import { expect } from 'chai';
import { fitWithin, inkBounds, strokeBounds } from './signature-geometry.ts';

describe('signature geometry', () => {
  it('strokeBounds covers every point plus the pad', () => {
    expect(strokeBounds([], 5)).to.equal(undefined);
    expect(
      strokeBounds(
        [
          [
            { x: 10, y: 20 },
            { x: 30, y: 5 },
          ],
          [{ x: 50, y: 40 }],
        ],
        2,
      ),
    ).to.deep.equal({ x: 8, y: 3, width: 44, height: 39 });
  });

  it('fitWithin never exceeds 600×300 and never enlarges beyond the preferred scale', () => {
    for (const [w, h, dpr] of [
      [2000, 100, 1],
      [100, 2000, 3],
      [600, 300, 1],
      [601, 301, 2],
      [50, 20, 2],
      [0.5, 0.5, 1],
    ] as const) {
      const fit = fitWithin(w, h, 600, 300, dpr);
      expect(fit.width).to.be.at.most(600).and.at.least(1);
      expect(fit.height).to.be.at.most(300).and.at.least(1);
      expect(fit.scale).to.be.at.most(dpr);
    }
    expect(fitWithin(50, 20, 600, 300, 2)).to.deep.equal({ scale: 2, width: 100, height: 40 });
  });

  it('inkBounds finds dark marks on light paper, even grey paper', () => {
    const make = (paper: number) => {
      const width = 40;
      const height = 30;
      const data = new Uint8ClampedArray(width * height * 4).fill(paper);
      for (let x = 10; x <= 20; x++) data.set([20, 20, 20, 255], (15 * width + x) * 4);
      return { data, width, height };
    };
    expect(inkBounds(make(255))).to.deep.equal({ x: 10, y: 15, width: 11, height: 1 });
    expect(inkBounds(make(150))).to.deep.equal({ x: 10, y: 15, width: 11, height: 1 });
    const blank = { data: new Uint8ClampedArray(40 * 30 * 4).fill(255), width: 40, height: 30 };
    expect(inkBounds(blank)).to.equal(undefined);
  });
});
