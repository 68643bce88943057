// Names of Guangdong's administrative divisions (GB/T 2260) for the codes the chain records: the province, its 21
// prefecture-level cities, and the districts of Guangzhou and Shenzhen. A code is named by its longest known prefix
// (a town or village code shows its city and district); the code itself is always shown beside the name.
(function (global) {
  'use strict';

  const cities = {
    4401: '广州市', 4402: '韶关市', 4403: '深圳市', 4404: '珠海市', 4405: '汕头市', 4406: '佛山市', 4407: '江门市',
    4408: '湛江市', 4409: '茂名市', 4412: '肇庆市', 4413: '惠州市', 4414: '梅州市', 4415: '汕尾市', 4416: '河源市',
    4417: '阳江市', 4418: '清远市', 4419: '东莞市', 4420: '中山市', 4451: '潮州市', 4452: '揭阳市', 4453: '云浮市',
  };
  const counties = {
    440103: '荔湾区', 440104: '越秀区', 440105: '海珠区', 440106: '天河区', 440111: '白云区', 440112: '黄埔区',
    440113: '番禺区', 440114: '花都区', 440115: '南沙区', 440117: '从化区', 440118: '增城区',
    440303: '罗湖区', 440304: '福田区', 440305: '南山区', 440306: '宝安区', 440307: '龙岗区', 440308: '盐田区',
    440309: '龙华区', 440310: '坪山区', 440311: '光明区',
  };

  // '440106000000' → '广东省广州市天河区'; a code outside Guangdong, or not a code, → null.
  function name(code) {
    const text = String(code || '');
    if (!/^\d{6}(\d{6})?$/.test(text) || !text.startsWith('44')) return null;
    const city = cities[Number(text.slice(0, 4))];
    if (text.slice(2, 4) === '00') return '广东省';
    if (!city) return null;
    const county = counties[Number(text.slice(0, 6))];
    return '广东省' + city + (county || '');
  }

  global.LedgerDivisions = { name };
})(window);
